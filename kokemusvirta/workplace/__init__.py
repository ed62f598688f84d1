"""The staff's workplace: a web app for the people who act on what clients said (issue 16).

Separate from the clients' intake service (kokemusvirta/intake/): its own server (`kokemusvirta
workplace serve`), its own session cookie and its own users. The core is here: the app and its
guards (app.py), languages (i18n.py), users with roles and scopes (users.py), sessions
(sessions.py), local accounts (accounts.py), signing in (login.py), acting for the signed-in user
on the role's request topic (acting.py) and the list of route factories the other parts extend
(routes.py).
"""
