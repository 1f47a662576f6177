using System.Text.Json;

namespace FaceFunctions.Cli.Local;

/// <summary>
/// Checks that the running Functions host has the function events are meant for. The blob extension's webhook
/// answers 202 Accepted for any functionName, one it does not know included, and then drops the event: a mistyped
/// --function would upload photos that nothing ever processes, with no error anywhere. The host's admin API lists
/// its functions (GET /admin/functions, an array of objects with a "name"); a local host serves it without a key.
/// </summary>
internal static class HostFunctionList
{
    public static async Task EnsureListedAsync(HttpClient http, Uri functionUrl, string function, CancellationToken cancellationToken)
    {
        var listUrl = new Uri(functionUrl, "admin/functions");
        HttpResponseMessage response;
        try
        {
            response = await http.GetAsync(listUrl, cancellationToken);
        }
        catch (HttpRequestException e)
        {
            throw new LocalUploadException(
                $"No Functions host answered at {functionUrl} ({e.Message}), so nothing was uploaded. Start the host " +
                "(dotnet run --project src/FaceFunctions.App, see the README) and run this command again.", e);
        }

        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                throw new LocalUploadException(
                    $"The host at {functionUrl} did not list its functions (GET {listUrl}: {(int)response.StatusCode} {response.ReasonPhrase}), " +
                    "so nothing was uploaded. A local host serves that list without a key; is this the local host?");
            }

            var names = await ReadNamesAsync(response, listUrl, cancellationToken);
            if (!names.Contains(function, StringComparer.Ordinal))
            {
                var known = names.Count == 0 ? "none" : string.Join(", ", names);
                throw new LocalUploadException(
                    $"The host at {functionUrl} has no function named '{function}' (its functions: {known}), so nothing was uploaded. " +
                    "Its webhook would accept the event and drop it; check --function (names are case-sensitive).");
            }
        }
    }

    private static async Task<List<string>> ReadNamesAsync(HttpResponseMessage response, Uri listUrl, CancellationToken cancellationToken)
    {
        try
        {
            await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
            using var list = await JsonDocument.ParseAsync(body, cancellationToken: cancellationToken);
            return list.RootElement.EnumerateArray()
                .Select(function => function.GetProperty("name").GetString())
                .OfType<string>()
                .ToList();
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or KeyNotFoundException)
        {
            throw new LocalUploadException($"{listUrl} did not answer with the host's function list ({e.Message}); is a Functions host listening there?", e);
        }
    }
}
