from crmkit.service import run

from crm_import.settings import ImportSettings

run("crm_import.app:create_app", ImportSettings())
