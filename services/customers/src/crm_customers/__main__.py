from crmkit.service import run

from crm_customers.settings import CustomersSettings

run("crm_customers.app:create_app", CustomersSettings())
