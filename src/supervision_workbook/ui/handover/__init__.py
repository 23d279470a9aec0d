"""Records between people: a trainee's submission to the supervisor, and receiving it.

:mod:`.submit` hands a saved session to the exchange this server uses; :mod:`.receive`
brings trainees' work into the supervisor's workspace. Both use ``exchange`` for the
transport and ``store`` for saving; neither changes a record.
"""
