using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace FaceFunctions.Detection.Imaging;

/// <summary>Turns a stored image upright according to its EXIF orientation (1 to 8).</summary>
internal static class ExifOrientation
{
    public static void ApplyTo(Image<Rgb24> image, int orientation)
    {
        // Each orientation names where the stored first row and column belong; undoing it is a rotation
        // (clockwise) followed by an optional mirror. 5 and 7 are the transpositions.
        (RotateMode rotate, FlipMode flip) = orientation switch
        {
            2 => (RotateMode.None, FlipMode.Horizontal),
            3 => (RotateMode.Rotate180, FlipMode.None),
            4 => (RotateMode.None, FlipMode.Vertical),
            5 => (RotateMode.Rotate90, FlipMode.Horizontal),
            6 => (RotateMode.Rotate90, FlipMode.None),
            7 => (RotateMode.Rotate270, FlipMode.Horizontal),
            8 => (RotateMode.Rotate270, FlipMode.None),
            _ => (RotateMode.None, FlipMode.None),
        };
        if (rotate == RotateMode.None && flip == FlipMode.None)
        {
            return;
        }

        image.Mutate(context =>
        {
            if (rotate != RotateMode.None)
            {
                context.Rotate(rotate);
            }

            if (flip != FlipMode.None)
            {
                context.Flip(flip);
            }
        });
    }
}
