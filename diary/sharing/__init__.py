"""
Sharing the diary with a clinician without sharing the login.

- models.py: ShareLink (an expiring, revocable, read-only link; only its token's hash is
  stored) and ShareOpening (each time a link was opened),
- links.py: making, finding and revoking links, and the coarse user agent kept per opening,
- qr.py: the QR code printed on the PDF made from a link,
- fhir/: the FHIR R4 file of a period (a transaction Bundle a clinic's system can take in).
"""
