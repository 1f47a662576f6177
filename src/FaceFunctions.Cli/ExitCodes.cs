namespace FaceFunctions.Cli;

/// <summary>What every command's exit code means.</summary>
internal static class ExitCodes
{
    public const int Success = 0;

    /// <summary>
    /// Nothing could be done: no input could be read (nothing matched, every file failed to open, no annotated
    /// photo found), or the storage account or function host the command talks to failed.
    /// </summary>
    public const int Failed = 1;

    /// <summary>The command line is wrong: an unknown option, a value out of range.</summary>
    public const int Usage = 2;

    /// <summary>The detector could not start: a model file missing or altered, or CUDA required but unavailable.</summary>
    public const int DetectorUnavailable = 3;
}
