"""The gateway's own views, one blueprint module per resource (login, directory, ops' jobs, printed forms, working
calendar, device pairing), registered by app.py in this order; docs.py (Swagger UI) and pages.py (the built portal)
install themselves on the app. _views.py: what several views share."""
from . import auth, calendar, devices, directory, forms, ops

BLUEPRINTS = (auth.blp, directory.blp, ops.blp, forms.blp, calendar.blp, devices.blp)
