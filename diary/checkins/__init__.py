"""
Saving what the person checks or tells: a day's check-in (saving.py), a function check
(function_checks.py) and the answers "About your twitching" (about.py), each once however
often it is sent, with the change recorded. The models
are in diary/models/checkins.py and function_checks.py; the forms, and the Log page's card, in
diary/forms/checkins.py and report.py; the pages in diary/views/checkins.py and report.py.
"""
