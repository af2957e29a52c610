from crmkit.service import run

from crm_assignment.settings import AssignmentSettings

run("crm_assignment.app:create_app", AssignmentSettings())
