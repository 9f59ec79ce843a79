/**
 * Endpoints that serve a page's static files: images, stylesheets, scripts, fonts, media.
 * A browser showing a catalogue asks for dozens of thumbnails by id (`/image/{id}/200x200`);
 * those ids name the page's pictures, not objects behind an authorization check, so they are
 * not object enumeration (bola) and their query values (sizes, cache busters) not `enum`.
 */

/** File types a page loads by itself. Documents (pdf, csv, zip) are not here: they may be private. */
const ASSET_EXTENSION =
  /\.(?:png|jpe?g|gif|webp|avif|svg|ico|bmp|tiff?|css|js|mjs|map|woff2?|ttf|otf|eot|mp4|webm|m4v|mov|mp3|m4a|ogg|oga|wav|flac)$/i;

/** Folder names that hold such files, compared with whole literal segments only. */
const ASSET_SEGMENTS = new Set([
  'image',
  'images',
  'img',
  'imgs',
  'thumb',
  'thumbs',
  'thumbnail',
  'thumbnails',
  'static',
  'asset',
  'assets',
  'media',
  'css',
  'js',
  'font',
  'fonts',
  'icon',
  'icons',
]);

/**
 * True when the endpoint template names a static file: its last segment ends in an asset
 * file type (`/{token}.png`), or one of its literal segments is an asset folder
 * (`/image/{id}/brand`, `/static/fonts/{token}`). Placeholder segments never count.
 */
export function isStaticAssetTemplate(template: string): boolean {
  const path = template.split(/[?#]/, 1)[0]!;
  const segments = path.split('/').filter((s) => s !== '');
  const last = segments[segments.length - 1];
  if (last !== undefined && ASSET_EXTENSION.test(last)) return true;
  return segments.some((s) => !s.includes('{') && ASSET_SEGMENTS.has(s.toLowerCase()));
}
