"""What the import tests do as a user would: upload a sheet, press the preview's Import button, count rows."""
from __future__ import annotations

import io
import re

from sqlmodel import func, select


def count(session, model) -> int:
    return session.exec(select(func.count()).select_from(model)).one()


def upload(client, sheet: str, data: bytes, filename: str):
    """Send a file to /import/<sheet> (the preview)."""
    return client.post(f"/import/{sheet}", data={"file": (io.BytesIO(data), filename)},
                       content_type="multipart/form-data")


def apply(client, sheet: str, preview_response):
    """Press the preview's Import button (the form carries the file back)."""
    html = preview_response.get_data(as_text=True)
    payload = re.search(r'name="payload" type="hidden" value="([^"]*)"', html).group(1)
    filename = re.search(r'name="filename" type="hidden" value="([^"]*)"', html).group(1)
    return client.post(f"/import/{sheet}/apply", data={"payload": payload, "filename": filename})
