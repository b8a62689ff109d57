"""Every table, imported once so SQLModel.metadata (Alembic, tests) knows them all."""
from tracker.accounts.models import AccountLink, ApiToken  # noqa: F401
from tracker.auth.models import User, UserParty  # noqa: F401
from tracker.calendar.models import CalendarFeed  # noqa: F401
from tracker.commitments.models import Commitment, CommitmentParty, DueWindowChange  # noqa: F401
from tracker.consultations.models import CommentPeriod, CommentPeriodExtension, Submission  # noqa: F401
from tracker.events import Event  # noqa: F401
from tracker.letters.models import Letter, LetterFile, LetterLink, LetterParticipant  # noqa: F401
from tracker.meetings.models import Meeting, MeetingParticipant  # noqa: F401
from tracker.parties.models import Party, Person, Role  # noqa: F401
from tracker.phases.models import Phase  # noqa: F401
from tracker.reminders.models import Digest, Recipient, Subscription  # noqa: F401
from tracker.notices.models import Notice  # noqa: F401
from tracker.search.models import SearchDocument  # noqa: F401
