"""
Videos and photos of a twitch, kept small and private.

- `limits.py`: the per-file and per-person limits and their messages;
- `probe.py`: what an upload is, read from its bytes (never its name), cheaply, before anything
  is decoded: refuses what is not a video or photo Twitchlog reads, or too long, or too big;
- `processing.py`: re-encodes a video to H.264/AAC MP4 (PyAV) or a photo to JPEG (Pillow),
  with a poster frame and a thumbnail, and no metadata (no place, device or owner);
- `storage.py`: the "clips" storage (local files or S3): saving, reading a byte range, removing;
- `adding.py`: an upload becomes a pending clip, all checks first; `tasks.py` prepares it on the
  task queue;
- `serving.py`: a clip's file as an HTTP answer with ranges, so a phone can seek;
- `removal.py`: deleting clips and their files (and files no clip owns any more).
"""
