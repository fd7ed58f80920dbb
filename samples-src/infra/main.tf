resource "azurerm_service_plan" "plan" {
  name                = "contoso-plan"
  resource_group_name = azurerm_resource_group.rg.name
  location            = azurerm_resource_group.rg.location
  os_type             = "Linux"
  sku_name            = "P1v3"
}

resource "azurerm_linux_web_app" "api" {
  name                = "contoso-api"
  resource_group_name = azurerm_resource_group.rg.name
  location            = azurerm_resource_group.rg.location
  service_plan_id     = azurerm_service_plan.plan.id
  https_only          = false

  identity {
    type = "SystemAssigned"
  }

  site_config {
    minimum_tls_version = "1.1"
    ftps_state          = "Disabled"
  }

  app_settings = {
    "ServiceBusConnection" = "Endpoint=sb://contoso-bus.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey={{fake:servicebus-key}}"
    "FEATURE_FLAGS"        = "search,checkout"
  }
}
