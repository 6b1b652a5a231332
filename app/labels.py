"""What each enum value is called in the interface, in one place.

Keys are the enums' members (a StrEnum equals its value, so a status read from the database
finds its label too); values are lazy, so a label speaks the language of the page that
shows it.
"""

from flask_babel import lazy_gettext as _l

from app.models import (
    Audience,
    CardJobStatus,
    CoffeeFormat,
    CoffeeFrequency,
    EventFormat,
    EventStatus,
    IntroductionStatus,
    MailCategory,
    QuestionKind,
    RegistrationQuestionKind,
    RegistrationStatus,
    Role,
)

ROLE_LABELS = {
    Role.MEMBER: _l("Member"),
    Role.HOST: _l("Host"),
    Role.ADMIN: _l("Administrator"),
}

EVENT_FORMAT_LABELS = {
    EventFormat.OFFLINE: _l("In person"),
    EventFormat.ONLINE: _l("Online"),
    EventFormat.HYBRID: _l("Hybrid"),
}

REGISTRATION_STATUS_LABELS = {
    RegistrationStatus.PENDING: _l("awaiting approval"),
    RegistrationStatus.CONFIRMED: _l("confirmed"),
    RegistrationStatus.WAITLISTED: _l("waitlisted"),
    RegistrationStatus.CANCELLED: _l("cancelled"),
    RegistrationStatus.REJECTED: _l("declined"),
}

# Whose cards are printed: the values of `cards.WHO`.
CARDS_FOR_LABELS = {
    "confirmed": _l("Everyone confirmed"),
    "checked_in": _l("Checked in"),
    "registered": _l("Everyone registered"),
}

# The paper each of `cards.LAYOUTS` prints on, as a host knows it (never the layout's code).
CARD_PAPER_LABELS = {
    "a4-8": _l("A4 sheet"),
    "a4-4": _l("A4 sheet"),
    "a6": _l("A6 card, one a page"),
    "letter-6": _l("US Letter sheet"),
    "label-90x54": _l("A4 sheet of labels"),
}

CARD_JOB_STATUS_LABELS = {
    CardJobStatus.WAITING: _l("waiting"),
    CardJobStatus.RUNNING: _l("printing"),
    CardJobStatus.READY: _l("ready"),
    CardJobStatus.FAILED: _l("failed"),
}

COFFEE_FREQUENCY_LABELS = {
    CoffeeFrequency.WEEKLY: _l("Every week"),
    CoffeeFrequency.BIWEEKLY: _l("Every two weeks"),
    CoffeeFrequency.MONTHLY: _l("Once a month"),
}

COFFEE_FORMAT_LABELS = {
    CoffeeFormat.ONLINE: _l("Online"),
    CoffeeFormat.IN_PERSON: _l("In person, in my city"),
    CoffeeFormat.EITHER: _l("Either"),
}

QUESTION_KIND_LABELS = {
    QuestionKind.RATING: _l("Rating 1–5"),
    QuestionKind.NPS: _l("Recommendation 0–10 (NPS)"),
    QuestionKind.SINGLE: _l("One choice"),
    QuestionKind.MULTIPLE: _l("Several choices"),
    QuestionKind.TEXT: _l("Free text"),
}

AUDIENCE_LABELS = {
    Audience.CHECKED_IN: _l("Attendees who were checked in"),
    Audience.CONFIRMED: _l("Everyone confirmed"),
    Audience.MEMBERS: _l("All members of the community"),
}

# Kinds of mail a member can turn off: (name, what it is).
MAIL_CATEGORY_LABELS = {
    MailCategory.ANNOUNCEMENTS: (
        _l("Announcements"),
        _l("News and invitations from the community's team, to you or to an event's people."),
    ),
    MailCategory.REMINDERS: (
        _l("Event reminders"),
        _l("A day before an event you registered for."),
    ),
    MailCategory.COFFEE: (
        _l("Random coffee"),
        _l("Your matches and “did you meet?”. Turning it off takes you out of random coffee."),
    ),
    MailCategory.SURVEYS: (
        _l("Feedback surveys"),
        _l("An invitation after an event you came to, and one reminder."),
    ),
    MailCategory.INTRODUCTIONS: (
        _l("Introductions"),
        _l("When the community's team introduces you to someone you should meet."),
    ),
    MailCategory.REGISTRATIONS: (
        _l("Your registrations"),
        _l("Your seat confirmed, the waitlist, a change to your event. Always by email."),
    ),
}

INTRODUCTION_STATUS_LABELS = {
    IntroductionStatus.REQUESTED: _l("asked, with the team"),
    IntroductionStatus.PROPOSED: _l("waiting for answers"),
    IntroductionStatus.ACCEPTED: _l("both said yes"),
    IntroductionStatus.DECLINED: _l("not now"),
    IntroductionStatus.DISMISSED: _l("set aside"),
}

LINK_LABELS = {
    "website": _l("Website"),
    "telegram": _l("Telegram"),
    "facebook": _l("Facebook"),
    "instagram": _l("Instagram"),
}

REGISTRATION_QUESTION_KIND_LABELS = {
    RegistrationQuestionKind.TEXT: _l("Short text"),
    RegistrationQuestionKind.SINGLE: _l("One choice"),
    RegistrationQuestionKind.MULTIPLE: _l("Several choices"),
    RegistrationQuestionKind.YES_NO: _l("Yes or no"),
}

# What became of a member's proposal, by the event's status.
PROPOSAL_STATE_LABELS = {
    EventStatus.PROPOSED: _l("waiting for the hosts"),
    EventStatus.DECLINED: _l("declined"),
    EventStatus.DRAFT: _l("approved: a draft you co-host"),
    EventStatus.PUBLISHED: _l("published"),
    EventStatus.CANCELLED: _l("cancelled"),
}

# The profile fields a column of an imported member list can fill.
IMPORT_FIELD_LABELS = {
    "name": _l("Name"),
    "email": _l("Email"),
    "sector": _l("Sector"),
    "organisation": _l("Organisation"),
    "city": _l("City"),
    "languages": _l("Languages"),
    "interests": _l("Interests"),
    "offers": _l("I can help with"),
    "asks": _l("I am looking for"),
    "contact": _l("Telegram or other contact"),
    "joined": _l("Joined on"),
}

# Who a message is for.
MESSAGE_AUDIENCE_LABELS = {
    "everyone": _l("Everyone"),
    "segment": _l("A segment"),
    "event": _l("An event's people"),
}

# Engagement levels (app/services/levels.py), for hosts and admins only.
LEVEL_LABELS = {
    "core": _l("core"),
    "active": _l("active"),
    "occasional": _l("occasional"),
    "newcomer": _l("newcomer"),
    "drifting": _l("drifting away"),
    "dormant": _l("dormant"),
}
