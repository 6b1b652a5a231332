from flask_babel import lazy_gettext as _l


class DomainError(Exception):
    """Something a person caused and can fix; shown to them as a message, never a 500."""

    message = _l("Something is not right.")
    field: str | None = None  # the form field the message belongs beside, if any

    def __init__(self, message=None, *, field: str | None = None):
        if message is not None:
            self.message = message
        if field is not None:
            self.field = field
        super().__init__(str(self.message))


class EmailTaken(DomainError):
    message = _l("An account with this email already exists. Log in or reset your password.")
    field = "email"


class InvalidCredentials(DomainError):
    message = _l("Wrong email or password.")


class InvalidResetToken(DomainError):
    message = _l("This link has expired or has already been used. Ask for a new one.")


class WrongPassword(DomainError):
    message = _l("The password is not correct.")
    field = "password"


class LastAdmin(DomainError):
    message = _l("The community needs at least one admin: make someone else admin first.")


class SectorNameTaken(DomainError):
    message = _l("A sector with this name already exists.")


class SectorInUse(DomainError):
    message = _l("Members still name this sector: choose the sector to move them to.")


class EventNotOpen(DomainError):
    message = _l("This event is not open for registration.")


class RegistrationClosed(DomainError):
    message = _l("Registration for this event has closed.")


class RegistrationDeclined(DomainError):
    message = _l("The hosts have declined your registration for this event.")


class FullAtTheDoor(DomainError):
    message = _l("Every seat is taken: raise the capacity first, then add the person.")


class WalkInNeedsName(DomainError):
    message = _l("Nobody has an account with this email: give the person's name too.")
    field = "name"


class CapacityBelowTaken(DomainError):
    field = "capacity"

    def __init__(self, taken: int):
        super().__init__(
            _l("%(count)s seats are already taken; the capacity cannot be lower.", count=taken)
        )


class NotConfirmed(DomainError):
    message = _l("Only confirmed attendees can be checked in.")


class EditedElsewhere(DomainError):
    message = _l(
        "This was saved in another tab or by someone else while you were editing. What you"
        " typed is below: check it against the page and save again."
    )


class CancelledNotCopied(DomainError):
    message = _l("A cancelled event is not copied. Open the event you want to repeat.")


class NotADraft(DomainError):
    message = _l("Only a draft can be deleted. Cancel a published event instead.")


class EventAlreadyCancelled(DomainError):
    message = _l("This event is cancelled and can no longer be changed.")


class NotEnoughPeople(DomainError):
    message = _l("At least two checked-in people are needed for a round.")


class NotASwap(DomainError):
    message = _l("Choose two people from different tables to swap.")


class RoundNotDraft(DomainError):
    message = _l("This round is already published; draft the next one instead.")


class SurveyClosed(DomainError):
    message = _l("This survey is closed. Thank you for your interest!")


class SurveyNotForYou(DomainError):
    message = _l("This survey is for the people who attended the event.")


class AlreadyAnswered(DomainError):
    message = _l("You have already answered this survey. Thank you!")


class EventBusy(DomainError):
    message = _l("Many people are changing seats for this event right now. Please try again.")


class NotAPicture(DomainError):
    message = _l("This file is not a picture we can use: upload a JPEG, PNG or WebP.")


class PictureTooLarge(DomainError):
    message = _l("This picture is too large: up to 10 MB and 50 megapixels.")


class AccentTooLight(DomainError):
    field = "accent"

    def __init__(self, *, ratio: float):
        super().__init__(
            _l(
                "This colour reads at only %(ratio).1f:1 against white or the page; "
                "choose a darker one (at least 4.5:1).",
                ratio=ratio,
            )
        )


class PolicyEmpty(DomainError):
    message = _l("Write both the privacy policy and the terms before publishing them.")
    field = "privacy_md"


class QuestionNeedsOptions(DomainError):
    message = _l("Give at least two options, one a line.")
    field = "options"


class TooManyProposals(DomainError):
    message = _l(
        "You have 5 proposals waiting for a decision already. When the hosts have answered "
        "one of them, propose the next."
    )


class ProposalDecided(DomainError):
    message = _l("This proposal has been decided already and can no longer change here.")


class SeriesTooShort(DomainError):
    message = _l("This rule makes fewer than two dates before the last day: choose a later one.")
    field = "repeat_until"


class SeriesTooLong(DomainError):
    message = _l("This rule makes more than 52 events: choose an earlier last day.")
    field = "repeat_until"


class NoSuchMember(DomainError):
    message = _l("This member is not in the community any more.")


class UnreadableFile(DomainError):
    message = _l("This file cannot be read: upload a CSV or an XLSX spreadsheet.")
    field = "file"


class EmptyFile(DomainError):
    message = _l("This file has no rows under its header.")
    field = "file"


class TooManyRows(DomainError):
    field = "file"

    def __init__(self, *, limit: int):
        super().__init__(
            _l("This file has more than %(limit)s rows: split it into smaller files.", limit=limit)
        )


class NoEmailColumn(DomainError):
    message = _l("Choose which column holds the email: every member needs one.")
    field = "mapping"


class InvitationUsed(DomainError):
    message = _l("This invitation has been used already, or there is no such invitation. Log in.")


class InvitationExpired(DomainError):
    message = _l("This invitation has expired. Ask the community's team to send you a new one.")


class ImportStarted(DomainError):
    message = _l("This import has started already: its choices can no longer change.")


class InvalidConfirmation(DomainError):
    message = _l("This confirmation link does not work: log in and ask for a new one.")


class EmailNotConfirmed(DomainError):
    message = _l(
        "Confirm your email first: open the link we sent you. The banner above sends it again."
    )


class SegmentNeedsName(DomainError):
    message = _l("Give the segment a name to save it.")
    field = "name"


class MessageNeedsSubject(DomainError):
    message = _l("Write a subject: it is the first thing people read.")
    field = "subject"


class ChooseSegment(DomainError):
    message = _l("Choose the segment the message is for.")
    field = "segment_id"


class ChooseEvent(DomainError):
    message = _l("Choose the event whose people the message is for.")
    field = "event_id"


class NotYourEvent(DomainError):
    message = _l("Hosts write to the people of their own events; the admins write to the rest.")
    field = "audience"


class ScheduledInThePast(DomainError):
    message = _l("This time has passed: choose one ahead, or send now.")
    field = "scheduled_at"


class NobodyToWrite(DomainError):
    message = _l("Nobody would get this message: the recipients you chose are nobody yet.")
    field = "audience"


class InvitedAreNotMembers(DomainError):
    message = _l(
        "People invited from a list are not members until they join: send their invitation "
        "again from the import page instead."
    )
    field = "segment_id"


class NoteEmpty(DomainError):
    message = _l("Write the note first.")
    field = "text"


class NoteTooLong(DomainError):
    field = "text"

    def __init__(self, *, length: int):
        super().__init__(_l("A note is at most %(length)s characters.", length=length))


class NotYourNote(DomainError):
    message = _l("Only its author can change or remove a note.")


class IntroduceToThemselves(DomainError):
    message = _l("Choose two different people: nobody needs an introduction to themselves.")
    field = "second_id"


class IntroductionBlocked(DomainError):
    message = _l(
        "These two cannot be introduced: one of them asked never to be paired with the other."
    )
    field = "second_id"


class AlreadyIntroduced(DomainError):
    message = _l(
        "These two were introduced in the last 90 days, or an introduction is waiting: "
        "give it time."
    )
    field = "second_id"


class IntroductionNeedsReason(DomainError):
    message = _l("Write why they should meet: it is what each of them reads first.")
    field = "reason"


class ReasonTooLong(DomainError):
    field = "reason"

    def __init__(self, *, length: int):
        super().__init__(_l("The reason is at most %(length)s characters.", length=length))


class IntroductionClosed(DomainError):
    message = _l("This introduction is no longer waiting for answers.")


class LevelThresholds(DomainError):
    message = _l("The score for “active” must be above 0 and below the score for “core”.")
    field = "active"


class QuietDays(DomainError):
    field = "quiet_days"

    def __init__(self, *, longest: int):
        super().__init__(_l("Choose between 14 and %(longest)s days.", longest=longest))


class LevelWeight(DomainError):
    message = _l("Each weight is a number from 0 to 100.")


class MemberGone(DomainError):
    message = _l("This member is no longer in the community.")
    field = "second_id"


class PersonalNoteEmpty(DomainError):
    message = _l("Write a subject and a few words.")
    field = "text"
