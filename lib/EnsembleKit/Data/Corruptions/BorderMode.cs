namespace EnsembleKit.Data.Corruptions;

/// <summary>How pixels outside an image are read, in the names of the libraries the recipe calls.</summary>
internal enum BorderMode
{
    /// <summary>Repeat the edge pixel (scipy/skimage <c>nearest</c>, ImageMagick's default edge virtual pixels).</summary>
    Nearest,

    /// <summary>Mirror including the edge, <c>d c b a | a b c d</c> (scipy/skimage <c>reflect</c>).</summary>
    Symmetric,

    /// <summary>Mirror about the edge pixel, <c>d c b | a b c d</c> (OpenCV's default <c>BORDER_REFLECT_101</c>, scipy <c>mirror</c>).</summary>
    Reflect101,
}
