"""Build helpers: what the hooks add to the site (generated figures, the glossary page and
tooltips, Korean search, translation notices, HTML fixes). They read the model
(:mod:`kfguide.model`) and never import the checks or the runners.
"""
