from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import HiddenField


class ImportForm(FlaskForm):
    file = FileField("A spreadsheet (.xlsx or .csv)")


class ApplyForm(FlaskForm):
    """The previewed file travels back with the confirmation; every row is checked again before it is applied."""
    filename = HiddenField()
    payload = HiddenField()  # the file, base64
