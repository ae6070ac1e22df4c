"""The app's screens: home (today's plan), run (a session), history, and the dialogs they open."""
