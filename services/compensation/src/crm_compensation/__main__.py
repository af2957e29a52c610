from crmkit.service import run

from crm_compensation.settings import CompensationSettings

run("crm_compensation.app:create_app", CompensationSettings())
