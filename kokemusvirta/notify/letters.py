"""A printable letter (PDF, fpdf2) for a client who left a postal address: the same answer as
the e-mail, with the address in the window position of a C5 envelope. Pure: bytes out."""

from __future__ import annotations

from fpdf import FPDF

from kokemusvirta.notify.delivery import Answer


def _latin1(text: str) -> str:
    """The PDF's core font covers Latin-1 (Finnish and Swedish letters); anything else is
    replaced rather than lost silently in a crash."""
    return text.replace("–", "-").encode("latin-1", "replace").decode("latin-1")


def letter_pdf(answer: Answer, address: str, sender: str) -> bytes:
    pdf = FPDF(format="A4")
    pdf.set_title(_latin1(answer.subject))
    pdf.set_lang(answer.language)
    pdf.add_page()
    pdf.set_font("Helvetica", size=9)
    pdf.set_xy(20, 15)
    pdf.multi_cell(90, 4.5, _latin1(sender))
    pdf.set_font("Helvetica", size=11)
    pdf.set_xy(20, 50)  # the address window of a C5 envelope (DIN 5008 style)
    lines = [part.strip() for part in address.replace(",", "\n").splitlines() if part.strip()]
    pdf.multi_cell(85, 5.5, _latin1("\n".join(lines)))
    pdf.set_xy(20, 100)
    pdf.set_font("Helvetica", style="B", size=12)
    pdf.multi_cell(170, 7, _latin1(answer.subject))
    pdf.ln(4)
    pdf.set_font("Helvetica", size=11)
    pdf.set_x(20)
    pdf.multi_cell(170, 6, _latin1(answer.text))
    return bytes(pdf.output())
