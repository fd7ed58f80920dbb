using Azure.Identity;
using Azure.Security.KeyVault.Secrets;

var builder = WebApplication.CreateBuilder(args);

// Secrets come from Key Vault through the app's managed identity.
builder.Configuration.AddAzureKeyVault(new Uri("https://contoso-kv.vault.azure.net/"), new DefaultAzureCredential());

var app = builder.Build();

// Left over from a debugging session: a storage SAS URL with its signature.
const string ExportUrl = "https://contosodata.blob.core.windows.net/exports/orders.csv?sv=2022-11-02&ss=b&srt=o&sp=r&se=2027-01-01T00:00:00Z&st=2026-01-01T00:00:00Z&spr=https&sig={{fake:sas-sig}}";

app.MapGet("/health", () => Results.Ok());
app.MapGet("/export", () => Results.Redirect(ExportUrl));
app.Run();
