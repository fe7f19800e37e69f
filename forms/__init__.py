"""The questionnaire engine, pure functions over data: form `definition`s and their `loader` (JSON, and
`xlsform` workbooks), the skip-logic `expression` language, `answers` checked against a form, `double_entry`
comparison, `quality` flags and the `tally`. It knows app.core only: no vault, no file, no UI.
"""
