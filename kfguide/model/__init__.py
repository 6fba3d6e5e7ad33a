"""The model: the guide's sources as data, read once and never checked here.

``site`` (the docs folder: files, pages, static-i18n resolution), ``markdown`` (the line-aware
scanner), ``prose`` (which parts of a line are prose a reader sees), ``kfui`` (the canonical
alias), ``glossary`` (the term entries) and ``findings`` (the data every check returns).
Modules here import nothing from :mod:`kfguide.checks`, :mod:`kfguide.builders` or
:mod:`kfguide.report`.
"""
