"""The gateway's rules in plain Python: the directory (model.py), passwords, failed logins, device pairing, and the
printed forms (forms.py, with form_samples.py: sample data to preview a template)."""
