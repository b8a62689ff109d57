from flask_wtf import FlaskForm


class AddressForm(FlaskForm):
    """Issue, replace or revoke the calendar address: a button with CSRF protection."""
