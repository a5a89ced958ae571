"""Developer tools of the generator, not part of a build: the sample snapshot
(``python -m sitegen.tools.sample``), the golden outputs (``python -m sitegen.tools.golden``) and
the build benchmark (``python -m sitegen.tools.bench``)."""
