"""Runners and reporting: the one printer (``printer``), ``python -m kfguide check``
(``cli``), the pieces the runners share (``runner``) and the pull-request comment
(``pr_comment``). The top layer: it may import every other layer; nothing imports it but
the hooks.
"""
