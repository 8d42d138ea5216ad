"""Documents made from what happened at a meeting: the minutes (biên bản hội nghị) and the
conclusion notice (thông báo kết luận), as Word files laid out after Nghị định 30/2020/NĐ-CP,
and the minutes' print view.

``minutes.paper`` and ``notice.paper`` arrange a ``services.record.Record`` into a ``Paper``
(header, title, paragraphs, signature blocks); ``layout.docx_bytes`` writes a Paper as .docx and
``templates/minutes/print.html`` shows the same Paper in the browser, so the Word file and the
print view hold the same text in the same order. Document text is always Vietnamese.
"""
