# The audit log is not in the admin: it is read by the coordinators of the organisation the
# events belong to, at /audit/ (SECURITY.md). Its entries name who viewed which expert.
