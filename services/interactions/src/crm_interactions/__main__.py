from crmkit.service import run

from crm_interactions.settings import InteractionsSettings

run("crm_interactions.app:create_app", InteractionsSettings())
