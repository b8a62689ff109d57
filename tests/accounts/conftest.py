import re


def link_path(email) -> str:
    """The /set-password/… path of the link in an account email."""
    match = re.search(r"http://tracker\.test(/set-password/\S+)", email.text)
    assert match, email.text
    return match.group(1)
