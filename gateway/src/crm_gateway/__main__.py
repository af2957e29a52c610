"""`python -m crm_gateway` runs the gateway (CRM_GATEWAY_PORT, default 8000)."""
from crmkit.service import run

from crm_gateway.settings import GatewaySettings

if __name__ == "__main__":
    # the client's address is resolved by the app, from CRM_GATEWAY_TRUSTED_PROXIES only
    settings = GatewaySettings()
    run("crm_gateway.app:create_app", settings, proxy_headers=False, workers=settings.workers)
