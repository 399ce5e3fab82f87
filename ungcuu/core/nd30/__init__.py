"""Official documents in the administrative format of Decree 30/2020/NĐ-CP (DOMAIN.md §l).

One content model (`model.Paper`: a letterhead and a list of blocks) and three renderers that read only
it, so the DOCX, the PDF and the XLSX of a document cannot disagree:

- `docx.render_docx(paper)`: python-docx, Times New Roman, measured header, page numbers from page 2;
- `html.render_html(paper)` (the preview) and `pdf.render_pdf(paper)` (WeasyPrint, loaded once);
- `xlsx.render_xlsx(paper)`: the letterhead and field blocks as labelled rows, one sheet per table.

Reports, plans and the advisory dispatch build `Paper`s; they never lay out a page themselves. The look is
replaceable without code through `REPORT_TEMPLATE_DIR` (see `templates.py`).
"""
