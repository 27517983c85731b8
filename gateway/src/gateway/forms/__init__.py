"""The printed forms (印制表单): the gateway composes several services' data, as the caller sees it, into
DOCX and PDF from templates the organisation department may replace."""
