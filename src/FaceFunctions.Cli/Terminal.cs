using System.CommandLine;
using FaceFunctions.Detection.Models;
using FaceFunctions.Detection.Pipeline;
using Microsoft.Extensions.Logging;
using Spectre.Console;

namespace FaceFunctions.Cli;

/// <summary>
/// The invocation's two writers, as every command uses them: human-readable output (progress, tables, warnings,
/// errors) goes to <see cref="Error"/>, stderr, so stdout stays free for machine-readable lines
/// (<c>--jsonl -</c>). Built from the invocation, so tests run commands in process with their own writers.
/// </summary>
internal sealed class Terminal
{
    private Terminal(IAnsiConsole error, TextWriter output)
    {
        Error = error;
        Output = output;
        Logger = new TerminalLogger(this);
    }

    /// <summary>stderr: everything a person reads.</summary>
    public IAnsiConsole Error { get; }

    /// <summary>stdout: machine-readable lines, or a command's main report when it writes no lines.</summary>
    public TextWriter Output { get; }

    /// <summary>Shows the detector's warnings (such as falling back from CUDA to the CPU) on stderr.</summary>
    public ILogger Logger { get; }

    public static Terminal For(ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        var invocation = parse.InvocationConfiguration;
        return new Terminal(Over(invocation.Error), invocation.Output);
    }

    /// <summary>
    /// A Spectre console over any writer. Only the process's own terminal gets colours and live progress; a
    /// redirected stream or a test's writer gets plain text at a wide fixed width (a log file has no width, and
    /// Spectre would otherwise assume 80 columns and fold every table).
    /// </summary>
    public static IAnsiConsole Over(TextWriter writer)
    {
        bool terminal = (writer == Console.Error && !Console.IsErrorRedirected) || (writer == Console.Out && !Console.IsOutputRedirected);
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer),
            Ansi = terminal ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = terminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = terminal ? InteractionSupport.Detect : InteractionSupport.No,
        });
        if (!terminal)
        {
            console.Profile.Width = 200;
        }

        return console;
    }

    public void Warn(string message) => Error.MarkupLineInterpolated($"[yellow]warning:[/] {message}");

    /// <summary>Writes the error and returns <paramref name="exitCode"/>, so a command can <c>return terminal.Fail(...)</c>.</summary>
    public int Fail(string message, int exitCode)
    {
        Error.MarkupLineInterpolated($"[red]error:[/] {message}");
        return exitCode;
    }

    /// <summary>The options, or null after explaining which value is out of range (a usage error).</summary>
    public PipelineOptions? Validated(Func<PipelineOptions> options)
    {
        try
        {
            return options().Validate();
        }
        catch (ArgumentException ex)
        {
            Fail(ex.Message, ExitCodes.Usage);
            return null;
        }
    }

    /// <summary>
    /// Creates the pipeline, or explains why the detector cannot start (a model file missing or altered, CUDA
    /// demanded but unavailable) and returns null: the command then exits with <see cref="ExitCodes.DetectorUnavailable"/>.
    /// </summary>
    public TPipeline? Start<TPipeline>(Func<PipelineOptions, ILogger, TPipeline> create, PipelineOptions options)
        where TPipeline : class
    {
        ArgumentNullException.ThrowIfNull(create);
        try
        {
            return create(options, Logger);
        }
        catch (Exception ex) when (ex is ModelFileException or InvalidOperationException)
        {
            Fail(ex.Message, ExitCodes.DetectorUnavailable);
            return null;
        }
    }
}
