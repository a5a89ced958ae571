"""Reading PDFs back as a person's tools would: their text, extracted with pypdf."""

import io

import pypdf


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages)
