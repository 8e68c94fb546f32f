"""Who may do what (users, roles) and the audit log of what was done."""
