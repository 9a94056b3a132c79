"""The non-party people's archive (无党派人士): people, batches, growth records, liaison."""

from nonparty.models.batches import Batch, BatchMembership
from nonparty.models.evaluation import (
    Evaluation,
    EvaluationScheme,
    EvaluationScore,
    EvaluationState,
    SchemeDimension,
    SchemeGrade,
)
from nonparty.models.growth import (
    GROWTH_MODELS,
    Action,
    ActionParticipation,
    Award,
    Channel,
    Placement,
    PlacementKind,
    Proposal,
    Training,
)
from nonparty.models.liaison import Handover, Liaison
from nonparty.models.people import (
    ARCHIVE_ROLES,
    CITY_ROLES,
    EDITOR_ROLES,
    MASTERS_OR_ABOVE,
    Body,
    Degree,
    Education,
    Field,
    Gender,
    Person,
    Post,
    Status,
    UnitType,
    University,
)
from nonparty.models.talks import Talk, TalkForm, TalkPlan

__all__ = [
    "ARCHIVE_ROLES",
    "CITY_ROLES",
    "EDITOR_ROLES",
    "GROWTH_MODELS",
    "MASTERS_OR_ABOVE",
    "Action",
    "ActionParticipation",
    "Award",
    "Batch",
    "BatchMembership",
    "Body",
    "Channel",
    "Degree",
    "Education",
    "Field",
    "Gender",
    "Handover",
    "Liaison",
    "Person",
    "Placement",
    "PlacementKind",
    "Post",
    "Proposal",
    "Status",
    "Talk",
    "TalkForm",
    "TalkPlan",
    "Training",
    "UnitType",
    "University",
    "Evaluation",
    "EvaluationScheme",
    "EvaluationScore",
    "EvaluationState",
    "SchemeDimension",
    "SchemeGrade",
]

# The association (知联会) and its president's yearly report and review.
from nonparty.models.associations import (
    Aspect,
    Association,
    AssociationMembership,
    PresidentReport,
    ReportState,
    Review,
    ReviewLink,
    Verdict,
)

__all__ += [
    "Aspect",
    "Association",
    "AssociationMembership",
    "PresidentReport",
    "ReportState",
    "Review",
    "ReviewLink",
    "Verdict",
]
