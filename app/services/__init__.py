"""What the platform does. Plain arguments in, values out, domain errors raised.

Services never touch request, session, g or current_user; the caller commits.
"""
