# The public names of `cambodefect`: this stub is the one list. Type checkers read it;
# `__init__.py` reads it at import time to build `__all__`, `dir()` and the lazy
# imports (each `from M import N as N` line makes `cambodefect.N` load M on first use).
# A test checks every name resolves and that every public error is listed.

from cambodefect import aggregate as aggregate
from cambodefect import export as export
from cambodefect import normalize as normalize
from cambodefect import plot as plot
from cambodefect import testing as testing
from cambodefect._version import __version__ as __version__
from cambodefect._versions import Release as Release
from cambodefect._versions import releases as releases
from cambodefect._versions import versions as versions
from cambodefect.compare import DatasetDiff as DatasetDiff
from cambodefect.compare import diff as diff
from cambodefect.dataset import Dataset as Dataset
from cambodefect.dataset import load as load
from cambodefect.enums import Alignment as Alignment
from cambodefect.enums import ClaimantKind as ClaimantKind
from cambodefect.enums import ClaimKind as ClaimKind
from cambodefect.enums import EventKind as EventKind
from cambodefect.enums import PartyKind as PartyKind
from cambodefect.enums import Precision as Precision
from cambodefect.enums import Qualifier as Qualifier
from cambodefect.enums import SourceKind as SourceKind
from cambodefect.enums import Unit as Unit
from cambodefect.errors import AggregationError as AggregationError
from cambodefect.errors import AmbiguousNameError as AmbiguousNameError
from cambodefect.errors import ArgumentError as ArgumentError
from cambodefect.errors import CambodefectError as CambodefectError
from cambodefect.errors import CountParseError as CountParseError
from cambodefect.errors import DateParseError as DateParseError
from cambodefect.errors import ExportError as ExportError
from cambodefect.errors import InputTooLongError as InputTooLongError
from cambodefect.errors import IntegrityError as IntegrityError
from cambodefect.errors import InvalidRecordError as InvalidRecordError
from cambodefect.errors import MissingExtraError as MissingExtraError
from cambodefect.errors import ParseError as ParseError
from cambodefect.errors import SchemaError as SchemaError
from cambodefect.errors import Severity as Severity
from cambodefect.errors import UnknownClaimantError as UnknownClaimantError
from cambodefect.errors import UnknownClaimError as UnknownClaimError
from cambodefect.errors import UnknownEntityError as UnknownEntityError
from cambodefect.errors import UnknownEventError as UnknownEventError
from cambodefect.errors import UnknownFilterValueError as UnknownFilterValueError
from cambodefect.errors import UnknownPartyError as UnknownPartyError
from cambodefect.errors import UnknownPersonError as UnknownPersonError
from cambodefect.errors import UnknownSourceError as UnknownSourceError
from cambodefect.errors import UnknownTableError as UnknownTableError
from cambodefect.errors import UnknownValueError as UnknownValueError
from cambodefect.errors import UnknownVersionError as UnknownVersionError
from cambodefect.errors import ValidationError as ValidationError
from cambodefect.errors import Violation as Violation
from cambodefect.errors import ViolationCode as ViolationCode
from cambodefect.errors import WriteError as WriteError
from cambodefect.models import Claim as Claim
from cambodefect.models import Event as Event
from cambodefect.models import Party as Party
from cambodefect.models import Person as Person
from cambodefect.models import Source as Source
from cambodefect.validation import validate as validate
from cambodefect.values import Claimant as Claimant
from cambodefect.values import Count as Count
from cambodefect.values import Evidence as Evidence
from cambodefect.values import FuzzyDate as FuzzyDate
from cambodefect.values import Overlap as Overlap
from cambodefect.values import Place as Place
from cambodefect.values import Role as Role

__all__: list[str]
