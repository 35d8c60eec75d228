"""
What happens behind the Log page and History, besides the Episode model itself:

- saving.py: saving a logged episode once, however often the phone sends it;
- rows.py: an episode as a list row (Log page, History, after Undo) and the one-query list;
- bodymap.py: the body map's drawing and its closer views (built once per process);
- triggers.py: renaming, merging, deleting and hiding triggers, each change recorded.
"""
