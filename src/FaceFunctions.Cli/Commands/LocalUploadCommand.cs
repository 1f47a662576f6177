using System.CommandLine;
using FaceFunctions.Cli.Local;

namespace FaceFunctions.Cli.Commands;

/// <summary>
/// <c>facefunctions local upload &lt;files&gt;...</c>: uploads photos to a (local) storage account and posts the
/// Event Grid BlobCreated notification to a local Functions host, which Azurite cannot do by itself.
/// </summary>
internal static class LocalUploadCommand
{
    public static Command Create()
    {
        var files = new Argument<FileInfo[]>("files")
        {
            Description = "Photos to upload.",
            Arity = ArgumentArity.OneOrMore,
        };
        var connection = new Option<string>("--connection")
        {
            Description = "Storage connection string.",
            DefaultValueFactory = _ => "UseDevelopmentStorage=true",
        };
        var container = new Option<string>("--container")
        {
            Description = "Container the function watches.",
            DefaultValueFactory = _ => "photos",
        };
        var functionUrl = new Option<string>("--function-url")
        {
            Description = "Base URL of the running Functions host.",
            DefaultValueFactory = _ => "http://localhost:7071",
        };
        var function = new Option<string>("--function")
        {
            Description = "Name of the blob-triggered function.",
            DefaultValueFactory = _ => "DetectFaces",
        };

        var command = new Command("upload", "Upload photos to storage and notify a local Functions host, as Event Grid would.")
        {
            files, connection, container, functionUrl, function,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var terminal = Terminal.For(parseResult);
            var missing = parseResult.GetRequiredValue(files).Where(f => !f.Exists).ToList();
            if (missing.Count > 0)
            {
                return terminal.Fail($"no such file: {string.Join(", ", missing.Select(f => f.FullName))}", ExitCodes.Usage);
            }

            var url = parseResult.GetRequiredValue(functionUrl);
            if (!Uri.TryCreate(url.EndsWith('/') ? url : url + "/", UriKind.Absolute, out var baseUrl) || baseUrl.Scheme is not ("http" or "https"))
            {
                return terminal.Fail($"--function-url must be an absolute http(s) URL such as http://localhost:7071, not '{url}'.", ExitCodes.Usage);
            }

            var settings = new LocalUploadSettings(
                parseResult.GetRequiredValue(connection),
                parseResult.GetRequiredValue(container),
                baseUrl,
                parseResult.GetRequiredValue(function));
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
            try
            {
                var uploader = new LocalUploader(settings, http, terminal.Output);
                foreach (var file in parseResult.GetRequiredValue(files))
                {
                    await uploader.UploadAndNotifyAsync(file, cancellationToken);
                }

                return ExitCodes.Success;
            }
            catch (Exception e) when (e is LocalUploadException or FormatException or ArgumentException)
            {
                return terminal.Fail(e.Message, ExitCodes.Failed);
            }
        });
        return command;
    }
}
