using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Azure;

namespace FaceFunctions.Storage.Results;

/// <summary>
/// Names of one photo's results in the output containers, derived from a "stem":
/// <list type="bullet">
/// <item>detections: <c>&lt;stem&gt;.json</c>; annotated and anonymized: <c>&lt;stem&gt;.jpg</c>;</item>
/// <item>faces: <c>&lt;stem&gt;/&lt;i&gt;_&lt;version&gt;.jpg</c>, where version identifies the photo's ETag.</item>
/// </list>
/// The stem is the photo's blob name itself whenever every output name stays a valid, unambiguous blob name.
/// Otherwise (too long, too many segments, an empty segment, a segment ending in '.', a control character or a
/// backslash, or a name starting with the reserved '~') it is <c>~hashed/&lt;SHA-256 of the name, hex&gt;</c>.
/// No kept name starts with '~', so the two kinds never collide; the document records the photo's full name.
/// A photo's crops are exactly the blobs directly under <c>&lt;stem&gt;/</c>: another photo's results can only
/// appear there as deeper folders, so listing with a '/' delimiter never mixes two photos.
/// </summary>
public sealed record OutputNames
{
    /// <summary>Azure's limits on a blob name.</summary>
    public const int MaxBlobNameLength = 1024;
    public const int MaxPathSegments = 254;

    /// <summary>The longest suffix added to a stem: "/" + a 9-digit index + "_" + version + ".jpg".</summary>
    public const int LongestSuffix = 1 + 9 + 1 + VersionLength + 4;

    public const string HashedPrefix = "~hashed/";

    private const int VersionLength = 12;

    private OutputNames(string photoName, string stem, bool isHashed)
    {
        PhotoName = photoName;
        Stem = stem;
        IsHashed = isHashed;
    }

    public string PhotoName { get; }

    public string Stem { get; }

    public bool IsHashed { get; }

    public string Document => Stem + ".json";

    public string Annotated => Stem + ".jpg";

    public string Anonymized => Stem + ".jpg";

    /// <summary>The prefix every crop of this photo sits directly under.</summary>
    public string CropFolder => Stem + "/";

    public static OutputNames For(string photoName)
    {
        ArgumentException.ThrowIfNullOrEmpty(photoName);
        return CanKeep(photoName)
            ? new OutputNames(photoName, photoName, isHashed: false)
            : new OutputNames(photoName, HashedPrefix + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(photoName))), isHashed: true);
    }

    public string Crop(string version, int index) =>
        string.Create(CultureInfo.InvariantCulture, $"{CropFolder}{index}_{version}.jpg");

    /// <summary>
    /// A short, name-safe identity of one photo version (its ETag). 48 bits of SHA-256: two versions of one photo
    /// colliding is out of reach in practice.
    /// </summary>
    public static string VersionOf(ETag photoETag) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(photoETag.ToString())))[..VersionLength];

    /// <summary>The index and version of a crop blob directly under <see cref="CropFolder"/>, or null for any other name.</summary>
    public CropName? ParseCrop(string blobName)
    {
        if (!blobName.StartsWith(CropFolder, StringComparison.Ordinal) || !blobName.EndsWith(".jpg", StringComparison.Ordinal))
        {
            return null;
        }

        var file = blobName.AsSpan(CropFolder.Length, blobName.Length - CropFolder.Length - 4);
        var underscore = file.IndexOf('_');
        return underscore > 0
               && file.Length - underscore - 1 == VersionLength
               && int.TryParse(file[..underscore], NumberStyles.None, CultureInfo.InvariantCulture, out var index)
            ? new CropName(index, file[(underscore + 1)..].ToString())
            : null;
    }

    private static bool CanKeep(string name)
    {
        if (name.Length > MaxBlobNameLength - LongestSuffix || name[0] == '~')
        {
            return false;
        }

        var segments = 1;
        var segmentLength = 0;
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsControl(c) || c == '\\' || (char.IsSurrogate(c) && !IsPairedSurrogate(name, i)))
            {
                return false;
            }

            if (c == '/')
            {
                // Empty segments vanish in URLs, and segments ending in '.' ("." and ".." included) are
                // rewritten by URL normalisation: either would make the output name mean something else.
                if (segmentLength == 0 || name[i - 1] == '.')
                {
                    return false;
                }

                segments++;
                segmentLength = 0;
            }
            else
            {
                segmentLength++;
            }
        }

        // The crop adds one segment below the stem.
        return segmentLength > 0 && name[^1] != '.' && segments + 1 <= MaxPathSegments;
    }

    private static bool IsPairedSurrogate(string s, int i) =>
        char.IsHighSurrogate(s[i]) ? i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]) : i > 0 && char.IsHighSurrogate(s[i - 1]);
}

/// <summary>A crop blob's place in its photo's results.</summary>
public readonly record struct CropName(int Index, string Version);
