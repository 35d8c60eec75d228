"""
The daily check-in's behaviour: saving a day's answers (double taps safe) and the Log page's
card. The model and its questions are in diary/models/checkins.py; the form in
diary/forms/checkins.py; the pages in diary/views/checkins.py.
"""
