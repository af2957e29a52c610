# Local development and tests, without Docker. Details: deploy/local/README.md
SHELL := /bin/bash
CRM_LOCAL := deploy/local/crm-local

# Development-only password of the demo organisation's admin (loaded by `make up`).
export CRM_ADMIN_PASSWORD ?= admin12345
# CRM_DEMO=0 make up: start without loading the demo organisation.
CRM_DEMO ?= 1

.PHONY: install up down test status logs

install:        ## python dependencies (uv sync) and the Kafka jars (Maven)
	$(CRM_LOCAL) install

up:             ## PostgreSQL, Kafka, gateway and services in .local/dev, then the demo data
	$(CRM_LOCAL) up
	@if [ "$(CRM_DEMO)" != 0 ]; then \
	  eval "$$($(CRM_LOCAL) env)" && .venv/bin/python -m crm_gateway.demo; \
	fi

down:           ## stop everything `make up` started (the data stays in .local/dev)
	$(CRM_LOCAL) down

test:           ## all tests against fresh infrastructure in .local/test, own ports
	deploy/local/run-tests

status:         ## what is running
	$(CRM_LOCAL) status

logs:           ## follow the logs of .local/dev
	$(CRM_LOCAL) logs
