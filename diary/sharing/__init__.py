"""
Sharing the diary with a clinician without sharing the login.

- links.py: making, finding and revoking links, and the coarse user agent kept per opening
  (the tables, ShareLink and ShareOpening, are in diary/models/sharing.py; only a token's
  hash is stored),
- fhir.py: the FHIR R4 export of a period.
"""
