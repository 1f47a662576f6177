using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using FaceFunctions.Detection.Documents;

namespace FaceFunctions.Storage.Results;

/// <summary>
/// A short id of the detector configuration a document was made by: the models' hash and every detection option
/// the document records, but not where the networks ran (a CPU and a GPU instance give the same answers, so
/// moving between them must not make every result look outdated). Stored as document blob metadata, so a scan
/// compares it from a listing instead of reading each document.
/// </summary>
public static class DetectorIdentity
{
    /// <summary>
    /// What an error document records: a photo that cannot be read fails the same way under any detector, so
    /// such a result is never outdated by a detector change.
    /// </summary>
    public const string AnyDetector = "any";

    public static string Of(DetectorInfo detector)
    {
        ArgumentNullException.ThrowIfNull(detector);
        var text = string.Join(
            '|',
            detector.Name,
            detector.Models,
            detector.MinFaceSize.ToString(CultureInfo.InvariantCulture),
            detector.ScaleFactor.ToString("R", CultureInfo.InvariantCulture),
            string.Join(',', detector.Thresholds.Select(t => t.ToString("R", CultureInfo.InvariantCulture))));
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..16];
    }

    /// <summary>The id a stored document carries: its detector's, or <see cref="AnyDetector"/> for an error document.</summary>
    public static string Of(DetectionDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        return document.Detector is { } detector ? Of(detector) : AnyDetector;
    }

    /// <summary>Whether a document with id <paramref name="stored"/> (null: written before ids were recorded) is current for <paramref name="running"/>.</summary>
    public static bool IsCurrent(string? stored, string running) => stored == running || stored == AnyDetector;
}
