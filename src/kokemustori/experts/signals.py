"""What the experts app asks the apps above it (docs/architecture.md, "Signals")."""

from django.dispatch import Signal

# The trainings a kind may be granted on are being gathered. Keyword arguments: expert.
# Each receiver returns a list of further verified trainings: objects with training_type,
# hours, start_date and end_date (as kinds.grant_refusal_reason reads them), and `records`,
# the TrainingRecords they are made of (the commitments app answers with each verified
# programme of modules, its hours added up and its span from the first start to the last end).
more_verified_trainings = Signal()

# A coordinator granted an expert a kind. Sent inside the granting transaction. Keyword
# arguments: application (the KindApplication now granted), actor (the coordinator). The
# notifications app tells the expert of a confidentiality commitment still to sign.
kind_granted = Signal()
