"""Who may connect and what each may do: principals, their ACLs, their client files.

``clientfile`` (kcat-format client configurations), ``acls`` (the pure ACL sets per principal),
``admin`` (users and ACLs through Kafka's admin API), ``local`` (each process as its own
principal on the project's local broker), and the ``kokemusvirta access`` command
(kokemusvirta/commands/access.py). Importing this package connects to nothing.
"""
