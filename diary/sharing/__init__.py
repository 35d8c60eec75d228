"""
Sharing the diary with a clinician without sharing the login.

- links.py: making, finding and revoking links, and the coarse user agent kept per opening
  (the tables, ShareLink and ShareOpening, are in diary/models/sharing.py; only a token's
  hash is stored),
- fhir/: the FHIR R4 file of a period (a transaction Bundle a clinic's system can take in).
"""
