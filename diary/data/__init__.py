"""
Own your data: the lossless JSON export and its schema, the CSV export, the importer and
account deletion. Views in diary/views/data.py only call into these modules.
"""
