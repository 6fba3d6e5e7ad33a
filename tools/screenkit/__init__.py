"""screenkit: render a web app's real front end against a stub back end, reproducibly.

Shared machinery for tools/render_screens.py. Each app (the Kubeflow Dashboard now; Notebooks,
Pipelines and Katib later) is a module in ``screenkit/apps/`` that says where its front end
lives in the upstream source, how to build it, which routes its stub answers from
``data/sample-data.yml`` and which shots of ``data/screens.yml`` are its own. Everything else is
here and shared:

``steps``    numbered steps with their time; a failing step is named with its reason
``source``   take a tree out of any git clone, bare mirror or URL at a tag (``git archive``)
``build``    run build commands in a throw-away directory under ``nice``, with a log per step
``sample``   the sample data file and its scenarios
``stub``     a standard-library HTTP server: static build output plus JSON routes
``fonts``    answer Google Fonts requests from the pinned OFL ``@fontsource`` packages
``browser``  Chromium with a frozen clock, UTC, en-US, fixed viewport and scale, nothing off 127.0.0.1
``shots``    run a shot list entry: open, act, wait, capture, crop
``images``   lossless WebP, pixel comparison, side-by-side diff images
``record``   the machine-readable record of where the images came from
``report``   the version-bump report: per shot, changed or not, by how many pixels
"""

TOOL_VERSION = "1.0.0"
