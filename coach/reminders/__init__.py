"""Reminders of the day's sessions, sent by `coach remind` from a timer: when one is due, what was already sent,
how a notification reaches the desktop, and the timer itself. Plain Python: never imports textual."""
